/* placeholder: being written */
typedef int dp_placeholder_scaling_t;
